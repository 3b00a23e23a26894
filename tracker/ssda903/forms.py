"""Forms for the SSDA903 pages, laid out as GOV.UK Design System components."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from permanence import uploads
from permanence.models import Team
from tracker.ssda903.services import export_years


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one GOV.UK file upload (the DfE return is a set of CSVs)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data:
            single(None, initial)  # "required", when it is
            return []
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    CHECK, IMPORT = "check", "import"

    files = MultipleFileField(
        label="Upload the return's files",
        help_text="Header, Episodes and Reviews CSV files as the DfE's tool reads them, or one "
        "zip file holding them. PlacedAdoption and SWEpisodes are read when present.",
        error_messages={"required": "Select the return's CSV files, or a zip file of them"},
    )
    team = forms.ModelChoiceField(
        label="Team for children new to the service",
        help_text="Children already in the service keep their team. New children have no "
        "social worker or IRO until one is allocated.",
        queryset=Team.objects.all(),
        empty_label=None,
        error_messages={"required": "Select the team"},
    )
    mode = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            (CHECK, "Check the files only, changing nothing"),
            (IMPORT, "Import the children whose rows have no problems"),
        ],
        initial=CHECK,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to check the files or import them"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field("files"),
            Field.select("team"),
            Field.radios("mode", legend_size=Size.SMALL),
            Submit("submit", "Continue"),
        )

    def clean_files(self):
        """CSV or zip by name, within the size limits, and by content: a CSV must be text, a
        zip must open, hold only safely named CSVs and not grow past the limits (issue 11)."""
        files = self.cleaned_data["files"]
        names = [f.name for f in files]
        wrong = [n for n in names if not n.lower().endswith((".csv", ".zip"))]
        if wrong:
            raise forms.ValidationError(
                f"{', '.join(wrong)} must be a CSV or zip file: save each table as CSV"
            )
        limits = uploads.Limits.from_settings()
        try:
            uploads.check_sizes([(f.name, f.size) for f in files], limits)
        except uploads.UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        errors = []
        for upload in files:
            try:
                _check_content(upload, limits)
            except uploads.UploadRefused as exc:
                errors.append(forms.ValidationError(str(exc)))
            finally:
                upload.seek(0)
        if errors:
            raise forms.ValidationError(errors)
        return files


def _check_content(upload, limits: uploads.Limits) -> None:
    upload.seek(0)
    if upload.name.lower().endswith(".zip"):
        for member, content in uploads.zip_members(upload.name, upload, limits):
            uploads.check_csv_bytes(f"{member} (in {upload.name})", content)
    else:
        uploads.check_csv_stream(upload.name, upload)


class ExportForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        choices=(),
        error_messages={"invalid_choice": "Select a collection year from the list"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = export_years()
        self.fields["year"].choices = [
            (y.end_year, f"{y.label} (1 April {y.start.year} to 31 March {y.end_year})")
            for y in years
        ]
        self.fields["year"].initial = years[0].end_year
