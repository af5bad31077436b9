# Bounces en klachten: op de pagina van een abonnee en op de verzendpagina van een campagne.
nb-bounces-title = Bounces en klachten
nb-bounces-none = Geen bounces of klachten ontvangen voor dit adres.
nb-bounces-col-when = Ontvangen
nb-bounces-col-kind = Soort
nb-bounces-col-code = Statuscode
nb-bounces-col-campaign = Campagne
nb-bounce-kind-hard = Harde bounce
nb-bounce-kind-soft = Zachte bounce
nb-bounce-kind-complaint = Klacht
nb-send-bounces-title = Bounces en klachten
nb-send-bounces-hard = Harde bounces
nb-send-bounces-soft = Zachte bounces
nb-send-bounces-complaints = Klachten
nb-send-bounces-hint = Geteld uit de ontvangen meldingen (mailbox, webhook of opdrachtregel); een melding die twee keer binnenkomt, telt één keer.
