"""The Word and text templates masg ships; a co-ordinator overrides them file by file."""
