"""A new dossier's fee comes from its procedure version's fee table, when it has one."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from digigov.dossiers import services as dossier_services
from digigov.dossiers.models import Dossier

from .fees import compute_fee


@receiver(post_save, sender=Dossier, dispatch_uid="payments_assess_fee")
def assess_new_dossier_fee(sender, instance: Dossier, created: bool, raw: bool = False, **kwargs):
    # The submission services set the version's fixed fee by channel; a fee table
    # refines it inside the same transaction, before anything else reads it.
    if not created or raw or not instance.procedure_version.fee_rules.exists():
        return
    amount = compute_fee(instance)
    if amount != instance.fee_amount:
        instance.fee_amount = dossier_services.assess_fee(dossier=instance,
                                                          amount=amount).fee_amount
