-- The parts of a mail beyond its text and HTML (a calendar invitation, attached files), as JSON
-- written and read only by crates/core/src/mail.rs: {"calendar": {"method", "ics"},
-- "attachments": [{"filename", "content_type", "content_base64"}]}. NULL for a plain mail, which
-- is every mail written before this column existed.
ALTER TABLE mail_outbox ADD COLUMN parts TEXT;
