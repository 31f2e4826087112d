"""Reading and writing files: tables in (CSV, TSV, XLSX, XLS), exports out."""
