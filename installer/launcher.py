"""The frozen application's entry point: the `sohoa` command and window.

`freeze_support()` comes first: a worker process started by multiprocessing (OCR pages are
recognised in a pool of spawned processes) runs its task and exits here instead of starting the app.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from app.main import main

    sys.exit(main())
