"""Papers as documents (issue 17): a record's page printed to PDF with WeasyPrint.

Each paper's template (templates/documents/<name>.html) extends documents/base.html, laid out
like a GOV.UK document and marked "Official – sensitive" at the top and foot of every page, and
includes the same partial as the record's page with the same context, so the PDF says what the
page says. The view that offers it has already found the record through the reader's selector
(404 outside their scope) and checked their permission; this module records the download in the
child's history and answers with the file.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from permanence.history import save_with_history
from permanence.models import Child, DocumentDownload, User

logger = logging.getLogger(__name__)

MARKING = "Official – sensitive"


def html_to_pdf(html: str) -> bytes:
    """The PDF of a rendered document; imported here so that pages never load WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@transaction.atomic
def document_download_record(
    *, child: Child, document: str, record_id: int, by: User
) -> DocumentDownload:
    """A paper downloaded as a document is in the child's history, with who and when
    (issue 17)."""
    download = DocumentDownload(
        child=child, document=document, record_id=record_id, downloaded_by=by
    )
    return save_with_history(download, by=by, reason="Downloaded as a PDF")


def pdf_response(
    request: HttpRequest,
    *,
    template: str,
    context: dict,
    child: Child,
    document: str,
    record_id: int,
    title: str,
) -> HttpResponse:
    """Render TEMPLATE to a PDF, record the download and answer with it as a file."""
    html = render_to_string(
        template,
        {
            **context,
            "document_title": title,
            "marking": MARKING,
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
        request=request,
    )
    pdf = html_to_pdf(html)
    document_download_record(child=child, document=document, record_id=record_id, by=request.user)
    # Named by the child's identifier, never their name: files get copied and attached.
    stamp = timezone.localdate().isoformat()
    filename = f"{document.replace('_', '-')}-{child.child_id}-{stamp}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
