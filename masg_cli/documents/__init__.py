"""What masg sends: templates found and rendered in a sandbox, PDFs, e-mail drafts, and one
module per document that builds what it shows.

- ``templates``: the shipped list, the co-ordinator's folder over the shipped one, copy and check;
- ``render``: sandboxed Jinja and docxtpl rendering, written whole or not at all (``word`` is the
  Word zip handling underneath, ``sandbox`` the bounded Jinja environment: one file, a deadline,
  a size limit; ``samples`` the fictional case 'templates check' fills every template for);
- ``pdf``: LibreOffice conversion; ``email``: the .eml drafts and their covering messages;
- one module per document: ``agenda`` (and the invitations), ``background_pack``,
  ``decision_sheet``, ``family_letter``, ``followup_letter``, ``final_review_form``; ``case``
  is what the two case documents share, ``pack_cases`` what the agenda and the background pack
  read, ``pack_agreed`` what the panel agreed before for each case of the pack;
- ``words``: the process's stored words in plain words, the one table every document uses.

A new document is one new module here: a ``context`` builder and a ``write`` that renders it.
The services decide when one is made and record it (services/produced.py); nothing here
commits, audits or imports the command line. Nothing heavy is imported here either, so that
``masg --help`` stays light.
"""
