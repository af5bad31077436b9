# Events and trainings: study days, courses, coaching, learning networks (S11).
wg-nav-events = Events
wg-events-title = Events and trainings
wg-events-intro = Study days, courses, coaching sessions, learning networks and masterclasses of the Kenniscentrum Vlaamse Steden.
wg-events-coming = Coming events
wg-events-none-coming = There are no coming events.
wg-events-past = Past events
wg-events-back = Back to the events
wg-event-new = New event
wg-event-new-title = New event
wg-event-created = The event has been created.
wg-event-series-new = New series
wg-event-series-new-title = New series of events
wg-event-series-created = The series has been created. You can now choose it for a new event.
wg-event-series = Series
wg-event-no-series = No series
wg-event-cancelled = Cancelled
wg-event-places = Number of places
wg-event-places-unlimited = Unlimited places
wg-event-places-full = Full
wg-event-places-free = { $free } of { $capacity } places free
wg-event-registration = Registration
wg-event-register-title = Register
wg-event-register = Register
wg-event-registered = You are registered. You will receive a confirmation by e-mail.
wg-event-registered-waitlist = The event is full: you are on the waiting list with number { $number }. If a place becomes free, you move up automatically and receive an e-mail.
wg-event-unregister = Cancel my registration
wg-event-unregistered = Your registration has been cancelled.
wg-event-own-confirmed = You are registered for this event.
wg-event-own-waitlist = You are on the waiting list for this event.
wg-event-closed = Registration is closed.
wg-event-full = This event is full.
wg-event-waitlist-open = All places are taken. Register to join the waiting list: you move up automatically when a place becomes free.
wg-event-login-first = This event is for members of the cities and partners.
wg-event-login = Log in to register.
wg-event-members-only = This event is for members of a city or partner organisation. Ask your organisation's administrator for the member role.
wg-event-registering-as = You register as
wg-event-field-slug = Short name in the address
wg-event-field-slug-hint = Lower-case letters, digits and hyphens, for example impactmeting-basis.
wg-event-field-kind = Kind of event
wg-event-field-description = Description
wg-event-field-capacity-hint = Leave empty for unlimited places.
wg-event-field-waitlist = Waiting list once the places are taken
wg-event-field-questions = Questions at registration
wg-event-field-questions-hint = One question per line. A * at the end makes it required; with "Question: answer a | answer b" people choose an answer. For example: Dietary needs or allergies
wg-event-field-certificates = Certificates of attendance for the participants
wg-event-capacity-save = Save the number of places
wg-event-capacity-saved = The number of places has been saved. Moved up from the waiting list: { $moved }.
wg-event-kind-studiedag = Study day
wg-event-kind-opleiding = Course
wg-event-kind-coaching = Coaching
wg-event-kind-lerend-netwerk = Learning network
wg-event-kind-masterclass = Masterclass
wg-event-kind-terugkomdag = Return day
wg-event-kind-netwerkdag = Networking day
wg-event-registration-publiek = Open to everyone
wg-event-registration-leden = For members of the cities and partners
wg-event-registration-gesloten = Registration closed
wg-registration-status-bevestigd = Confirmed
wg-registration-status-wachtlijst = On the waiting list
wg-registration-status-geannuleerd = Cancelled
wg-registration-on-waitlist = On the waiting list (number { $number })
wg-registration-name = Name
wg-registration-email = E-mail address
wg-registration-email-hint = We send the confirmation here, with a link to cancel.
wg-registration-organisation = Organisation
wg-registration-choose = Choose an answer
wg-registration-title = Your registration for { $event }
wg-registration-cancel-explain = Cannot come? Cancel your registration and the first on the waiting list gets your place.
wg-registration-to-event = To the event
wg-participants-link = Participants and waiting list
wg-participants-title = Participants of { $event }
wg-participants-seats = Confirmed places
wg-participants-none = Nobody has registered yet.
wg-participants-confirmed = Confirmed participants
wg-participants-waiting = Waiting list
wg-participants-cancelled = Cancelled registrations
wg-participants-answers = Answers
wg-participants-status = Status
wg-participants-actions = Actions
wg-participant-cancel = Cancel registration
wg-participant-cancelled = The registration has been cancelled.
wg-link-invalid = This link is not valid.
wg-link-expired = This link has expired.
wg-event-mail-bevestiging-subject = Registration confirmed: { $event }
wg-event-mail-bevestiging-text = Dear { $name },

    You are registered for { $event } on { $when } ({ $place }).

    Cannot come after all? Cancel your registration with this link, so that someone on the waiting list gets your place:
    { $link }

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-event-mail-wachtlijst-subject = On the waiting list: { $event }
wg-event-mail-wachtlijst-text = Dear { $name },

    { $event } on { $when } is full. You are on the waiting list with number { $number }. If a place becomes free, you move up automatically and receive an e-mail.

    See or cancel your registration:
    { $link }

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-event-mail-doorgeschoven-subject = A place became free: you are registered for { $event }
wg-event-mail-doorgeschoven-text = Dear { $name },

    A place became free for { $event } on { $when } ({ $place }). You moved up from the waiting list: your registration is confirmed.

    Cannot come after all? Cancel with this link, and the place goes to the next on the waiting list:
    { $link }

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-event-mail-annulering-subject = Registration cancelled: { $event }
wg-event-mail-annulering-text = Dear { $name },

    Your registration for { $event } on { $when } has been cancelled.

    Would you like to come after all? Register again at { $page }

    Kind regards
    Kenniscentrum Vlaamse Steden
# Attendance, certificates, evaluation, exports (S12).
wg-export-csv = Participants as CSV
wg-export-xlsx = Participants as Excel
wg-export-registered-at = Registered on
wg-export-attended = Attended
wg-export-yes = yes
wg-export-no = no
wg-attendance-link = Attendance
wg-attendance-title = Attendance at { $event }
wg-attendance-legend = Who attended?
wg-attendance-saved = The attendance has been saved.
wg-certificate-download = Certificate of attendance (PDF)
wg-evaluation-link = Evaluation
wg-evaluation-title = Set up the evaluation of { $event }
wg-evaluation-questions = Evaluation questions
wg-evaluation-questions-hint = One question per line. A plain line is a scale question from 1 to 5; start with "open:" for an open question. Put a * at the end of a required question.
wg-evaluation-questions-saved = The questions have been saved.
wg-evaluation-send = Send the evaluation
wg-evaluation-send-explain = After the event, every participant not marked absent receives an e-mail with a personal link to the form.
wg-evaluation-sent = The evaluation has been sent to { $count } participants.
wg-evaluation-results-link = Results of the evaluation
wg-evaluation-results-title = Results of the evaluation of { $event }
wg-evaluation-responses = Forms filled in
wg-evaluation-average = Average
wg-evaluation-no-questions = There are no questions yet.
wg-evaluation-no-answers = No answers yet.
wg-evaluation-form-title = Evaluation of { $event }
wg-evaluation-scale-hint = 1 = not satisfied at all, 5 = very satisfied
wg-evaluation-submit = Submit the evaluation
wg-evaluation-thanks = Thank you for your evaluation!
wg-event-mail-evaluatie-subject = How was { $event }? Tell us
wg-event-mail-evaluatie-text = Dear { $name },

    Thank you for taking part in { $event } on { $when }. Would you tell us what you thought of it? The form takes a few minutes:
    { $link }

    Kind regards
    Kenniscentrum Vlaamse Steden
