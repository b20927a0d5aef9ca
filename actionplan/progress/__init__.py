"""Progress of a plan: the moment a picture is taken, each slot's state at that moment,
the leadership dashboard, the roll-up of many units, the trend chart and their pages.

Sits on the plan and its evidence (it reads both) and under the documents, which print
its numbers."""
