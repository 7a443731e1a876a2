import sys

from eventkit.process_gc import collect_less

from .cli import main

collect_less()  # a rebuild or a tail reads whole topics: collect garbage as seldom as a worker does
sys.exit(main())
