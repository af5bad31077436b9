-- Working groups (werkgroepen): people of several organisations who work on one subject, such
-- as the GDPR working group. The core keeps who belongs to which group, so that any module can
-- restrict something to a group's members; the werkgroepen module will own meetings and agendas.

CREATE TABLE working_groups (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE working_group_members (
    group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX working_group_members_user ON working_group_members (user_id);
