## indicators
plan-health-op_koers = On track
plan-health-aandacht = Needs attention
plan-health-niet_op_koers = Off track
