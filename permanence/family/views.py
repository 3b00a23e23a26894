"""Pages for the people around the child. Thin: parse, validate, call one service, redirect.

Each page hangs from a child the user may open (404 otherwise) and may change (403 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from permanence import selectors
from permanence.access import child_visibility_q
from permanence.family import forms, services
from permanence.models import Child
from permanence.views import apply_validation_error


def _visible(user):
    """The children the user may open (the one rule in permanence.access)."""
    q = child_visibility_q(user)
    return Child.objects.filter(q) if q is not None else Child.objects.none()


class _ChildFormView(View):
    """A form about the child, on its own page, sent back to the child's page when saved."""

    title = ""
    intro = ""
    success = ""
    anchor = ""

    def child(self, request, pk: int) -> Child:
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.change_child", child):
            raise PermissionDenied
        return child

    def make_form(self, request, child, data=None):
        raise NotImplementedError

    def save(self, request, child, form):
        raise NotImplementedError

    def get(self, request, pk: int, **kwargs):
        child = self.child(request, pk)
        self.prepare(request, child, **kwargs)
        return self.render(request, child, self.make_form(request, child))

    def post(self, request, pk: int, **kwargs):
        child = self.child(request, pk)
        self.prepare(request, child, **kwargs)
        form = self.make_form(request, child, request.POST)
        if form.is_valid():
            try:
                self.save(request, child, form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(reverse("permanence:child-detail", args=[child.pk]) + self.anchor)
        return self.render(request, child, form, status=400)

    def prepare(self, request, child, **kwargs) -> None:
        """Look up what the page is about besides the child (404 when it is not the child's)."""

    def render(self, request, child, form, status=200):
        return render(
            request,
            "permanence/family_form.html",
            {"form": form, "child": child, "title": self.title, "intro": self.intro},
            status=status,
        )


class _SiblingGroupView(_ChildFormView):
    anchor = "#siblings"

    def prepare(self, request, child, **kwargs) -> None:
        self.group = child.sibling_group
        if self.group is None and self.needs_group:
            raise PermissionDenied
        if self.group is not None and not self.needs_group:
            raise PermissionDenied

    needs_group = True


class SiblingGroupCreateView(_SiblingGroupView):
    needs_group = False
    title = "Record brothers and sisters"
    intro = (
        "Brothers and sisters are kept together wherever possible. Record the group here; "
        "a decision to place any of them apart is recorded with the sibling assessment it "
        "rests on."
    )
    success = "The sibling group has been recorded. They are to live together."

    def make_form(self, request, child, data=None):
        initial = {"name": f"{child.last_name} brothers and sisters", "members": child.child_id}
        return forms.SiblingGroupForm(data, initial=initial)

    def save(self, request, child, form):
        members = services.children_from_identifiers(
            text=form.cleaned_data["members"], by=request.user
        )
        services.sibling_group_create(
            child=child, by=request.user, name=form.cleaned_data["name"], members=members
        )


class SiblingGroupChangeView(_SiblingGroupView):
    title = "Change the sibling group"
    success = "The sibling group has been changed."

    def make_form(self, request, child, data=None):
        # Only the identifiers the user may open are shown; the others stay in the group.
        visible = (
            _visible(request.user)
            .filter(sibling_group=self.group)
            .values_list("child_id", flat=True)
        )
        initial = {"name": self.group.name, "members": ", ".join(visible)}
        return forms.SiblingGroupForm(data, initial=initial, submit="Save the changes")

    def save(self, request, child, form):
        members = services.children_from_identifiers(
            text=form.cleaned_data["members"], by=request.user
        )
        hidden = Child.objects.filter(sibling_group=self.group).exclude(
            pk__in=_visible(request.user).values("pk")
        )
        services.sibling_group_change(
            group=self.group,
            child=child,
            by=request.user,
            name=form.cleaned_data["name"],
            members=[*members, *hidden],
        )


class SiblingAssessmentView(_SiblingGroupView):
    title = "Record a sibling assessment"
    intro = (
        "Brothers and sisters are placed apart only in exceptional circumstances, after a "
        "robust sibling assessment of their individual and shared needs. Where they live apart, "
        "good contact between them is promoted."
    )
    success = "The sibling assessment and the decision that follows it have been recorded."

    def make_form(self, request, child, data=None):
        members = _visible(request.user).filter(sibling_group=self.group)
        return forms.SiblingAssessmentForm(data, members=members)

    def save(self, request, child, form):
        services.sibling_assessment_record(
            group=self.group, child=child, by=request.user, **form.cleaned_data
        )


class SiblingEvidenceView(_SiblingGroupView):
    title = "Record new evidence about living together"
    intro = (
        "Where brothers and sisters were placed apart and new evidence suggests they could live "
        "together again, it is considered when the permanence plan for each of them is reviewed. "
        "Their social workers and IROs are told."
    )
    success = "The new evidence has been recorded: reconsider it at each child's plan review."

    def make_form(self, request, child, data=None):
        return forms.SiblingEvidenceForm(data)

    def save(self, request, child, form):
        services.sibling_evidence_record(
            group=self.group, child=child, by=request.user, **form.cleaned_data
        )


class ContactCreateView(_ChildFormView):
    title = "Record a contact arrangement"
    intro = (
        "Contact with family is actively promoted unless there are clear reasons it is not in "
        "the child's interest. Say who it is with, how often, and whether it is supervised."
    )
    success = "The contact arrangement has been recorded."
    anchor = "#contact"

    def make_form(self, request, child, data=None):
        siblings = Child.objects.none()
        if child.sibling_group_id:
            siblings = (
                _visible(request.user)
                .filter(sibling_group_id=child.sibling_group_id)
                .exclude(pk=child.pk)
            )
        initial = {}
        wanted = request.GET.get("sibling")
        if wanted and wanted.isdigit() and siblings.filter(pk=wanted).exists():
            initial = {"relationship": "sibling", "sibling": int(wanted)}
        return forms.ContactForm(data, siblings=siblings, initial=initial)

    def save(self, request, child, form):
        services.contact_arrangement_record(child=child, by=request.user, **form.cleaned_data)


class ContactEndView(_ChildFormView):
    title = "Record that a contact arrangement ended"
    success = "The contact arrangement has been recorded as ended."
    anchor = "#contact"

    def prepare(self, request, child, contact_pk: int = 0, **kwargs) -> None:
        self.arrangement = get_object_or_404(
            child.contact_arrangements, pk=contact_pk, ended_on__isnull=True
        )
        self.intro = f"Contact with {self.arrangement.with_whom}, {self.arrangement.frequency}."

    def make_form(self, request, child, data=None):
        return forms.ContactEndForm(data)

    def save(self, request, child, form):
        services.contact_arrangement_end(
            arrangement=self.arrangement, by=request.user, **form.cleaned_data
        )


class SupportingAdultCreateView(_ChildFormView):
    title = "Record an adult who will support the child"
    intro = (
        "Wider family, friends or other connected people who can give emotional support and a "
        "long-term trusting relationship, particularly at times of change."
    )
    success = "The supporting adult has been recorded."
    anchor = "#contact"

    def make_form(self, request, child, data=None):
        return forms.SupportingAdultForm(data)

    def save(self, request, child, form):
        services.supporting_adult_record(child=child, by=request.user, **form.cleaned_data)


class SupervisionOrderCreateView(_ChildFormView):
    title = "Record a supervision order"
    intro = (
        "Under a supervision order the child stays at home and the authority advises, helps and "
        "befriends them. It lasts one year; the court can extend it to three years in all, and "
        "never past the child's 18th birthday."
    )
    success = "The supervision order has been recorded."
    anchor = "#orders"

    def make_form(self, request, child, data=None):
        return forms.SupervisionOrderForm(data)

    def save(self, request, child, form):
        services.supervision_order_record(child=child, by=request.user, **form.cleaned_data)


class _SupervisionOrderChangeView(_ChildFormView):
    anchor = "#orders"

    def prepare(self, request, child, order_pk: int = 0, **kwargs) -> None:
        self.order = get_object_or_404(child.supervision_orders, pk=order_pk, ended_on__isnull=True)
        self.intro = (
            f"The supervision order made on {self.order.made_on:%-d %B %Y} ends on "
            f"{self.order.ends_on:%-d %B %Y}."
        )


class SupervisionOrderExtendView(_SupervisionOrderChangeView):
    title = "Record that the court extended the supervision order"
    success = "The extension of the supervision order has been recorded."

    def make_form(self, request, child, data=None):
        return forms.SupervisionOrderExtendForm(data)

    def save(self, request, child, form):
        services.supervision_order_extend(order=self.order, by=request.user, **form.cleaned_data)


class SupervisionOrderEndView(_SupervisionOrderChangeView):
    title = "Record that the supervision order ended"
    success = "The end of the supervision order has been recorded."

    def make_form(self, request, child, data=None):
        return forms.SupervisionOrderEndForm(data)

    def save(self, request, child, form):
        services.supervision_order_end(order=self.order, by=request.user, **form.cleaned_data)


class PlacementSupportCreateView(_ChildFormView):
    title = "Record support for a placement at risk"
    intro = (
        "When difficulties put a placement at risk of breaking down, support is offered "
        "straight away, before it disrupts."
    )
    success = "The support offered has been recorded."
    anchor = "#orders"

    def make_form(self, request, child, data=None):
        return forms.PlacementSupportForm(data)

    def save(self, request, child, form):
        services.placement_support_record(child=child, by=request.user, **form.cleaned_data)
