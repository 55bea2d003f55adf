from masg_cli.cli.app import main

main()
