"""The core of the domain. Each module holds one part; import models from here."""

from permanence.models.children import (
    PATHWAY_PLAN_AGE,
    Child,
    ConnectedPersonApproval,
    Episode,
    SiblingGroup,
)
from permanence.models.codes import Code
from permanence.models.documents import DocumentDownload
from permanence.models.family import (
    ContactArrangement,
    PlacementSupport,
    SiblingAssessment,
    SiblingEvidence,
    SupervisionOrder,
    SupportingAdult,
)
from permanence.models.finding import (
    CarerHousehold,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    PotentialMatch,
    SgoAssessment,
)
from permanence.models.notifications import EmailDigest, Notification, NotificationKind
from permanence.models.people import EmailAlerts, Service, Team, User
from permanence.models.plans import LadderRule, OptionConsidered, Plan, PlanAction  # noqa: F401

__all__ = [
    "PATHWAY_PLAN_AGE",
    "CarerHousehold",
    "Child",
    "Code",
    "ConnectedPersonApproval",
    "ContactArrangement",
    "DocumentDownload",
    "Episode",
    "FamilyFindingAllocation",
    "FamilySearch",
    "EmailAlerts",
    "EmailDigest",
    "Notification",
    "NotificationKind",
    "OrderRecord",
    "PlacementSupport",
    "PotentialMatch",
    "Service",
    "SgoAssessment",
    "SiblingAssessment",
    "SiblingEvidence",
    "SiblingGroup",
    "SupervisionOrder",
    "SupportingAdult",
    "Team",
    "User",
]
