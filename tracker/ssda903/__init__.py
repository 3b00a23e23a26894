"""The DfE SSDA903 return: import an authority's last return, export this year's (issue 7)."""
