-- The mail outbox: every e-mail the platform sends is first a row here, written in the same
-- transaction as the change that causes it (an invitation, a password reset), and then sent by
-- the job "mail.send" (job_id). status: queued (waiting or retrying; last_error says why),
-- sent (sent_at), failed (gave up; last_error).
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT,
    job_id TEXT
);

CREATE INDEX mail_outbox_status ON mail_outbox (status, created_at);
