from epitool.cli import main

main()
