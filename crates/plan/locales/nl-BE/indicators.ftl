## indicators
plan-health-op_koers = Op koers
plan-health-aandacht = Aandacht
plan-health-niet_op_koers = Niet op koers
