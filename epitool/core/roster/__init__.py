"""The household roster 花名册: one validator for a row (rows), the households a roster
names (households), the producer that reads and checks a file (source), the import that
writes it (load), and adding one resident by hand (add)."""
