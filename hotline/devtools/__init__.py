"""Development tools, not needed to run a warehouse: the sample-data generator
(`hotline generate`), its native-export writers and sample calendars, and the benchmark
(`make bench`). Runtime modules never import this package (python_tests/test_packaging.py)."""
