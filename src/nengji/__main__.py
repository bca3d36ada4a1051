from nengji.cli import main

main()
