## The "my data" link of registrants without an account (issue 13 point 8).
wg-mydata-title = What we keep about your registrations
wg-mydata-intro = This is everything the working groups keep for the e-mail address { $email }: your registrations for events with your answers, your attendance, your evaluations, your certificates and the e-mails we sent you.
wg-mydata-outro = Participants' data is deleted or anonymised after the retention period; what your certificate needs is kept. This page opens only through the link in your e-mail: do not forward that link.
wg-mydata-registrations = Registrations and answers
wg-mydata-attendance = Attendance
wg-mydata-evaluation-answers = Evaluation answers
wg-mydata-certificates = Certificates
wg-mydata-mails = E-mails sent
wg-mydata-request-link = Request a new link to your data
wg-mydata-event-link = Registered before without logging in? Request a link to what we keep about you
wg-mydata-request-title = Request a link to your data
wg-mydata-request-intro = Did you register for an event without logging in? Enter the e-mail address you registered with. If there are registrations for that address, we send it a link to everything we keep about them.
wg-mydata-request-email = E-mail address
wg-mydata-request-submit = Send link
wg-mydata-request-sent = Thank you. If there are registrations for this e-mail address, you will receive an e-mail with a link to your data within a few minutes. Check your spam folder too.
wg-mydata-mail-subject = Your data with the working groups of the Kenniscentrum
wg-mydata-mail-text = Hello,

    Someone asked for a link to the data we keep for this e-mail address: your registrations for events, your answers, your attendance, your evaluations and your certificates. View and download them through this link (valid for { $days } days):
    { $link }

    Did you not ask for this? Then you can ignore this e-mail.

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-mydata-mail-paragraph = View and download what we keep about your registrations through this link (valid for { $days } days):
    { $link }
## Required evaluation questions.
wg-evalreq-required = required
