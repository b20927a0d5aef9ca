"""The plan's documents: the JSON rows, the PDF Keputusan, Lampiran and monthly progress
report, the Excel workbook and its import in the admin, and their downloads. The top
layer of the product: it prints the plan, its evidence and its progress."""
