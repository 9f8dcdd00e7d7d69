"""`python -m monitor`: the same as the `complaint-monitor` console script."""

from monitor.cli import main

if __name__ == "__main__":
    main()
