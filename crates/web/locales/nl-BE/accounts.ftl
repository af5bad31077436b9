# Accounts: login, invitations, password reset, organisations, users, API tokens.

## Login and links from e-mails
auth-login-title = Aanmelden
auth-login-intro = Meld u aan met het e-mailadres en het wachtwoord van uw account.
auth-email = E-mailadres
auth-password = Wachtwoord
auth-login-submit = Aanmelden
auth-forgot-link = Wachtwoord vergeten?
auth-error-email-empty = Vul uw e-mailadres in.
auth-error-credentials = Het e-mailadres of het wachtwoord is onjuist.
auth-error-throttled = Te veel mislukte pogingen om aan te melden met dit e-mailadres. Probeer het over { $minutes } minuten opnieuw, of kies een nieuw wachtwoord via de link die u met „Wachtwoord vergeten?” per e-mail krijgt.
auth-error-throttled-client = Te veel mislukte pogingen om aan te melden vanaf dit netwerkadres. Probeer het over { $minutes } minuten opnieuw.
auth-error-throttled-global = Er zijn op dit moment te veel mislukte aanmeldpogingen op het platform. Probeer het over { $minutes } minuten opnieuw, of kies een nieuw wachtwoord via „Wachtwoord vergeten?”.
auth-error-busy = De server is op dit moment te druk. Probeer het over enkele seconden opnieuw.
auth-reset-revoke-tokens = Trek ook alle API-tokens van dit account in
auth-reset-revoke-tokens-hint = Doe dit als u denkt dat iemand anders uw wachtwoord kende: tokens die met uw account gemaakt zijn, werken dan niet meer.
auth-logged-out = U bent afgemeld.
auth-forgot-title = Wachtwoord vergeten
auth-forgot-intro = Vul het e-mailadres van uw account in. U krijgt een e-mail met een link om een nieuw wachtwoord te kiezen.
auth-forgot-submit = Link versturen
auth-forgot-sent = Als er een account bestaat voor dit e-mailadres, ontvangt u binnen enkele minuten een e-mail met een link. De link is één uur geldig.
auth-back-to-login = Terug naar aanmelden
auth-reset-title = Nieuw wachtwoord kiezen
auth-reset-intro = Kies een nieuw wachtwoord. Daarna wordt u overal elders afgemeld.
auth-invite-title = Uitnodiging aanvaarden
auth-invite-intro = Welkom op het Stedenplatform. Vul uw naam in en kies een wachtwoord om uw account te activeren.
auth-name = Naam
auth-new-password = Nieuw wachtwoord
auth-password-hint = Minstens 12 tekens. Een zin van enkele woorden is sterk en makkelijk te onthouden.
auth-password-confirm = Herhaal het wachtwoord
auth-set-password-submit = Wachtwoord opslaan
auth-link-invalid-title = Deze link werkt niet meer
auth-link-invalid = De link is al gebruikt, is verlopen of is onvolledig. Vraag een nieuwe link aan of neem contact op met de beheerder van uw organisatie.
auth-invite-done = Welkom! Uw account is actief en u bent aangemeld.
auth-reset-done = Uw wachtwoord is gewijzigd. U bent overal elders afgemeld.

## E-mails
mail-reset-subject = Nieuw wachtwoord voor het Stedenplatform
mail-reset-text =
    Beste { $name },
    Iemand vroeg een nieuw wachtwoord aan voor uw account op het Stedenplatform.
    Kies een nieuw wachtwoord via deze link (één uur geldig):
    { $link }
    Vroeg u dit niet aan? Dan hoeft u niets te doen; uw wachtwoord blijft ongewijzigd.
mail-invite-subject = Uitnodiging voor { $organisation } op het Stedenplatform
mail-invite-text =
    Dag,
    { $inviter } nodigt u uit op het Stedenplatform voor { $organisation }, met de rol { $role }.
    Aanvaard de uitnodiging en kies een wachtwoord via deze link (zeven dagen geldig):
    { $link }
mail-added-text =
    Dag,
    { $inviter } gaf u toegang tot { $organisation } op het Stedenplatform, met de rol { $role }.
    Meld u aan via { $link }

## Navigation
acc-nav-organisations = Organisaties
acc-nav-users = Gebruikers
acc-nav-account = Mijn account

## Organisations
acc-orgs-title = Organisaties
acc-orgs-intro = De organisaties op het platform, met hun soort en hun huidige REFNIS-code.
acc-col-name = Naam
acc-col-kind = Soort
acc-col-refnis = REFNIS-code
acc-col-valid-from = Geldig vanaf
acc-col-valid-until = Geldig tot en met
acc-col-email = E-mailadres
acc-col-role = Rol
acc-col-status = Status
acc-col-actions = Acties
acc-col-token = Token
acc-col-modules = Modules
acc-col-expires = Vervalt op
acc-col-last-used = Laatst gebruikt
acc-col-platform-admin = Platformbeheerder
acc-none = geen
acc-open = open
acc-never = nooit
acc-yes = ja
acc-no = nee
acc-kind-kenniscentrum = Kenniscentrum
acc-kind-centrumstad = Centrumstad
acc-kind-vgc = Vlaamse Gemeenschapscommissie
acc-kind-ocmw = OCMW
acc-kind-partner = Partner
acc-codes-title = Codes en hun geldigheid
acc-members-title = Leden
acc-members-none = Deze organisatie heeft nog geen leden.
acc-role-of = Rol van { $name }
acc-role-change = Rol wijzigen
acc-role-changed = De rol is gewijzigd.
acc-member-remove = Verwijderen
acc-member-removed = Het lid is verwijderd uit de organisatie.
acc-status-active = actief
acc-status-invited = uitgenodigd
acc-status-inactive = gedeactiveerd
acc-invite-title = Iemand uitnodigen
acc-invite-intro = De persoon krijgt een e-mail met een link om een wachtwoord te kiezen. Wie al een account heeft, krijgt meteen toegang.
acc-invite-submit = Uitnodiging versturen
acc-invite-sent = De uitnodiging is verstuurd naar { $email }.
acc-invite-already-member = Deze persoon is al lid van deze organisatie. Wijzig de rol in de lijst van leden.

## API tokens
acc-tokens-title = API-tokens
acc-tokens-none = Er zijn nog geen API-tokens.
acc-token-created = Het token is aangemaakt.
acc-token-once = Kopieer het nu en bewaar het veilig: het wordt maar één keer getoond. Wie het token heeft, kan de API gebruiken met de rechten hieronder.
acc-token-value = Nieuw token
acc-token-status-active = actief
acc-token-status-expired = verlopen
acc-token-status-revoked = ingetrokken
acc-token-revoke = Intrekken
acc-token-revoked = Het token is ingetrokken en werkt niet meer.
acc-token-new-title = Nieuw API-token
acc-token-name = Naam van het token
acc-token-name-hint = Waarvoor dient het, bijvoorbeeld "Dashboard stadsmonitor".
acc-token-role-hint = Nooit meer dan uw eigen rol in deze organisatie.
acc-token-expires = Vervaldatum (optioneel)
acc-token-expires-hint = Bijvoorbeeld 31/12/2026. Leeg: geldig tot het wordt ingetrokken.
acc-token-submit = Token aanmaken

## Users (platform administrators)
acc-users-title = Gebruikers
acc-users-make-admin = Platformbeheerder maken
acc-users-unmake-admin = Geen platformbeheerder meer
acc-users-deactivate = Deactiveren
acc-users-activate = Activeren
acc-users-you = (uzelf)
acc-users-saved = De gebruiker is bijgewerkt.
acc-users-not-yourself = U kunt uzelf niet deactiveren of uw eigen beheerrechten intrekken.

## Own account
acc-account-title = Mijn account
acc-account-profile = Profiel
acc-account-password = Wachtwoord wijzigen
acc-account-orgs = Mijn organisaties
acc-account-saved = Uw profiel is opgeslagen.
acc-save = Opslaan
acc-password-current = Huidig wachtwoord
acc-password-current-wrong = Het huidige wachtwoord is onjuist.
acc-password-submit = Wachtwoord wijzigen
acc-password-changed = Uw wachtwoord is gewijzigd. U bent op uw andere toestellen afgemeld.
