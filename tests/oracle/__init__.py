"""Oracles that need no trust in our own code (GnuCOBOL's ``cobc``), shared by the test suite."""
