# Bounces and complaints: on a subscriber's page and on a campaign's sending page.
nb-bounces-title = Bounces and complaints
nb-bounces-none = No bounces or complaints received for this address.
nb-bounces-col-when = Received
nb-bounces-col-kind = Kind
nb-bounces-col-code = Status code
nb-bounces-col-campaign = Campaign
nb-bounce-kind-hard = Hard bounce
nb-bounce-kind-soft = Soft bounce
nb-bounce-kind-complaint = Complaint
nb-send-bounces-title = Bounces and complaints
nb-send-bounces-hard = Hard bounces
nb-send-bounces-soft = Soft bounces
nb-send-bounces-complaints = Complaints
nb-send-bounces-hint = Counted from the reports received (mailbox, webhook or command line); a report that arrives twice counts once.
