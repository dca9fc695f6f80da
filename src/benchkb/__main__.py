from benchkb.cli import main

main()
