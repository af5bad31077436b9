# Accounts: login, invitations, password reset, organisations, users, API tokens.

## Login and links from e-mails
auth-login-title = Log in
auth-login-intro = Log in with the e-mail address and password of your account.
auth-email = E-mail address
auth-password = Password
auth-login-submit = Log in
auth-forgot-link = Forgot your password?
auth-error-email-empty = Enter your e-mail address.
auth-error-credentials = The e-mail address or the password is incorrect.
auth-error-throttled = Too many failed attempts to log in with this e-mail address. Try again in { $minutes } minutes, or choose a new password through the link that "Forgot your password?" sends you by e-mail.
auth-error-throttled-client = Too many failed attempts to log in from this network address. Try again in { $minutes } minutes.
auth-error-throttled-global = There are too many failed login attempts on the platform right now. Try again in { $minutes } minutes, or choose a new password through "Forgot your password?".
auth-error-busy = The server is too busy right now. Try again in a few seconds.
auth-reset-revoke-tokens = Also revoke all API tokens of this account
auth-reset-revoke-tokens-hint = Do this if you think someone else knew your password: tokens made with your account will stop working.
auth-logged-out = You have been logged out.
auth-forgot-title = Forgot password
auth-forgot-intro = Enter the e-mail address of your account. You will receive an e-mail with a link to choose a new password.
auth-forgot-submit = Send link
auth-forgot-sent = If an account exists for this e-mail address, you will receive an e-mail with a link within a few minutes. The link is valid for one hour.
auth-back-to-login = Back to log in
auth-reset-title = Choose a new password
auth-reset-intro = Choose a new password. You will then be logged out everywhere else.
auth-invite-title = Accept invitation
auth-invite-intro = Welcome to Stedenplatform. Enter your name and choose a password to activate your account.
auth-name = Name
auth-new-password = New password
auth-password-hint = At least 12 characters. A sentence of a few words is strong and easy to remember.
auth-password-confirm = Repeat the password
auth-set-password-submit = Save password
auth-link-invalid-title = This link no longer works
auth-link-invalid = The link has been used, has expired or is incomplete. Request a new link or contact the administrator of your organisation.
auth-invite-done = Welcome! Your account is active and you are logged in.
auth-reset-done = Your password has been changed. You have been logged out everywhere else.

## E-mails
mail-reset-subject = New password for Stedenplatform
mail-reset-text =
    Dear { $name },
    Someone requested a new password for your account on Stedenplatform.
    Choose a new password with this link (valid for one hour):
    { $link }
    Did you not request this? Then you need not do anything; your password stays the same.
mail-invite-subject = Invitation to { $organisation } on Stedenplatform
mail-invite-text =
    Hello,
    { $inviter } invites you to Stedenplatform for { $organisation }, with the role { $role }.
    Accept the invitation and choose a password with this link (valid for seven days):
    { $link }
mail-added-text =
    Hello,
    { $inviter } gave you access to { $organisation } on Stedenplatform, with the role { $role }.
    Log in at { $link }

## Navigation
acc-nav-organisations = Organisations
acc-nav-users = Users
acc-nav-account = My account

## Organisations
acc-orgs-title = Organisations
acc-orgs-intro = The organisations on the platform, with their kind and their current REFNIS code.
acc-col-name = Name
acc-col-kind = Kind
acc-col-refnis = REFNIS code
acc-col-valid-from = Valid from
acc-col-valid-until = Valid until
acc-col-email = E-mail address
acc-col-role = Role
acc-col-status = Status
acc-col-actions = Actions
acc-col-token = Token
acc-col-modules = Modules
acc-col-expires = Expires on
acc-col-last-used = Last used
acc-col-platform-admin = Platform administrator
acc-none = none
acc-open = open
acc-never = never
acc-yes = yes
acc-no = no
acc-kind-kenniscentrum = Knowledge centre
acc-kind-centrumstad = Central city
acc-kind-vgc = Flemish Community Commission
acc-kind-ocmw = Public social welfare centre
acc-kind-partner = Partner
acc-codes-title = Codes and their validity
acc-members-title = Members
acc-members-none = This organisation has no members yet.
acc-role-of = Role of { $name }
acc-role-change = Change role
acc-role-changed = The role has been changed.
acc-member-remove = Remove
acc-member-removed = The member has been removed from the organisation.
acc-status-active = active
acc-status-invited = invited
acc-status-inactive = deactivated
acc-invite-title = Invite someone
acc-invite-intro = The person receives an e-mail with a link to choose a password. Someone who already has an account gets access at once.
acc-invite-submit = Send invitation
acc-invite-sent = The invitation has been sent to { $email }.
acc-invite-already-member = This person is already a member of this organisation. Change the role in the list of members.

## API tokens
acc-tokens-title = API tokens
acc-tokens-none = There are no API tokens yet.
acc-token-created = The token has been created.
acc-token-once = Copy it now and keep it safe: it is shown only once. Whoever has the token can use the API with the rights below.
acc-token-value = New token
acc-token-status-active = active
acc-token-status-expired = expired
acc-token-status-revoked = revoked
acc-token-revoke = Revoke
acc-token-revoked = The token has been revoked and no longer works.
acc-token-new-title = New API token
acc-token-name = Name of the token
acc-token-name-hint = What it is for, for example "City monitor dashboard".
acc-token-role-hint = Never more than your own role in this organisation.
acc-token-expires = Expiry date (optional)
acc-token-expires-hint = For example 31/12/2026. Empty: valid until revoked.
acc-token-submit = Create token

## Users (platform administrators)
acc-users-title = Users
acc-users-make-admin = Make platform administrator
acc-users-unmake-admin = Revoke platform administration
acc-users-deactivate = Deactivate
acc-users-activate = Activate
acc-users-you = (you)
acc-users-saved = The user has been updated.
acc-users-not-yourself = You cannot deactivate yourself or revoke your own administrator rights.

## Own account
acc-account-title = My account
acc-account-profile = Profile
acc-account-password = Change password
acc-account-orgs = My organisations
acc-account-saved = Your profile has been saved.
acc-save = Save
acc-password-current = Current password
acc-password-current-wrong = The current password is incorrect.
acc-password-submit = Change password
acc-password-changed = Your password has been changed. You have been logged out on your other devices.
