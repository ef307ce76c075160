"""Test-suite settings that notebook kernels (started by nbval) inherit too."""
import os

# Every notebook and CLI run in the suite is a smoke run; export GANLIB_SMOKE=0 to run them in full.
os.environ.setdefault("GANLIB_SMOKE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
