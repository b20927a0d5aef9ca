# Evidence uploads, review and audit trail arrive with the evidence issue. The plan's
# monthly slots they will hang on (actionplan.Slot) already exist and are protected.
