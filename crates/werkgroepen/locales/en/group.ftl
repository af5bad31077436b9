# A group's pages (web/group/), the new-group form (web/new_group.rs).

wg-tabs-label = Parts of the working group
wg-tab-about = About
wg-tab-members = Members
wg-tab-history = History
wg-tab-settings = Settings
wg-none = none
wg-cancel = Cancel
wg-save = Save

wg-group-times = Usually from – to
wg-group-place = Place
wg-group-online = Online link
wg-group-programme = Programme
wg-group-werkspoor = Work track
wg-group-programme-text = What the working group works on
wg-group-facilitators = Facilitators
wg-group-no-facilitators = No facilitators yet.
wg-group-cities = Participating cities and organisations
wg-group-no-cities = None yet.

wg-own-title = Taking part
wg-own-anonymous = Log in to join this working group.
wg-own-can-join = Do you work on this subject in a city or partner organisation? Ask to join; the facilitators decide.
wg-own-cannot-join = Anyone with at least the role member in a city or partner organisation can ask to join.
wg-own-pending = Your request to join is being reviewed.
wg-own-member = You are a member of this working group, as { $role }.
wg-own-refused = Your previous request was refused
wg-join-button = Join
wg-withdraw-button = Withdraw request
wg-leave-button = Leave the working group
wg-leave-done = You have left the working group.

wg-join-title = Join { $group }
wg-join-intro = The facilitators of the working group read your request and decide. You will see their answer on the working group's page.
wg-join-organisation = For which city or organisation do you join?
wg-join-motivation = Motivation
wg-join-motivation-hint = Why do you want to join, and what do you bring?
wg-join-submit = Send request
wg-join-done = Your request has been sent.

wg-members-title = Members of { $group }
wg-members-active = Members
wg-members-empty = This working group has no members yet.
wg-members-no-emails = Only members and facilitators of the working group see e-mail addresses.
wg-requests-title = Requests to join
wg-requests-empty = There are no open requests.
wg-request-review = Review
wg-col-name = Name
wg-col-role = Role
wg-col-organisation = City or organisation
wg-col-email = E-mail address
wg-col-joined = Member since
wg-col-left = Left on
wg-col-requested = Asked on
wg-col-status = Status
wg-col-decision = Decision
wg-col-actions = Actions

wg-request-title = Request of { $name }
wg-request-approve-title = Approve
wg-request-approve = Approve request
wg-role-hint = An observer reads along but proposes no agenda items; a guest only sees the meetings they are invited to.
wg-request-refuse-title = Refuse
wg-request-reason = Reason
wg-request-reason-hint = The person who asked will read this reason.
wg-request-refuse = Refuse request
wg-request-approved = The request of { $name } has been approved.
wg-request-refused = The request of { $name } has been refused.

wg-settings-title = Settings of { $group }
wg-settings-done = The settings have been saved.
wg-field-name = Name
wg-field-slug = Short name
wg-field-slug-hint = Goes into the web address: lowercase letters, digits and hyphens, for example gdpr.
wg-field-kind = Kind of group
wg-field-purpose = Purpose
wg-field-purpose-hint = One or two sentences: what is the working group for?
wg-field-programme = Programme
wg-field-programme-hint = What the working group works on; leave an empty line between paragraphs.
wg-field-visibility = Visibility
wg-field-visibility-hint = A public working group presents itself on the website (name, purpose, facilitators, cities); a hidden one is seen only by its members and facilitators.
wg-field-start = Usual start
wg-field-end = Usual end
wg-field-time-hint = As HH:MM, for example 14:00.
wg-field-proposal-days = Days to propose agenda items
wg-field-proposal-days-hint = How many days before a meeting the deadline for proposals falls.
wg-field-comment-days = Days to comment on minutes
wg-field-comment-days-hint = How long members can comment on minutes put before them.
wg-facilitator-add-label = Kenniscentrum staff member
wg-facilitator-add = Add facilitator
wg-facilitator-added = The facilitator has been added.
wg-facilitator-remove = Remove
wg-facilitator-removed = The facilitator has been removed.

wg-history-title = History of { $group }
wg-history-intro = Every request, approval, refusal and departure is kept.
wg-history-caption = Memberships, latest change first
wg-history-empty = Nobody has been a member yet.

wg-new-title = New working group
wg-new-intro = A new working group is hidden until you make it public. You become its facilitator yourself.
wg-new-submit = Create working group
wg-new-done = The working group has been created.
wg-new-link = New working group

wg-link-title = Link with the annual plan
wg-link-label = Programme or work track
wg-link-hint = From the Kenniscentrum's published plans. The title is kept, also when a new plan replaces the old one.
wg-link-none = No link
wg-link-submit = Save link
wg-link-done = The link with the plan has been saved.
