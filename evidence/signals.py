"""Events of the evidence layer that higher layers may listen to without evidence
importing them (the notifications live above; README, Architecture).

Each signal is sent inside the transaction of the change, so a receiver that writes rows
writes them in the same transaction: both are saved, or neither."""

from django.dispatch import Signal

# A version was returned by the reviewer. Arguments: ``bukti`` (the version, reloaded),
# ``oleh`` (the reviewer), ``catatan`` (the note), ``susulan`` (True when the review is
# history entered afterwards with an explicit ``pada``, e.g. the demo: nobody is told).
bukti_dikembalikan = Signal()
