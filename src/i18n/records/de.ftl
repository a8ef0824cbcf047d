## records (de): Namen der festen Listen, von allen Seiten genutzt

error-not-a-number = Bitte eine ganze Zahl angeben.
error-out-of-range = Diese Zahl oder dieses Datum ist hier nicht möglich.

topic-orientation = Berufsorientierung
topic-training-place = Ausbildungsplatzsuche
topic-applications = Bewerbungen
topic-internships = Praktika
topic-recognition = Anerkennung ausländischer Abschlüsse
topic-training-licence = Ausbildungsberechtigung für einen Betrieb
topic-funding = Förderung

outcome-informed = Informiert
outcome-referred = An eine Institution vermittelt
outcome-follow-up = Wiedervorlage vereinbart
outcome-place-found = Ausbildungsplatz gefunden
outcome-no-need = Kein weiterer Bedarf

referral-status-open = Offen
referral-status-contacted = Kontakt aufgenommen
referral-status-done = Erledigt
referral-status-no-show = Nicht erschienen

role-mentor = Elternmentor*in
role-coordinator = Koordinator*in

institution-kind-career-guidance = Berufsberatung
institution-kind-jobcenter = Jobcenter
institution-kind-hwk = Handwerkskammer (HWK)
institution-kind-ihk = Industrie- und Handelskammer (IHK)
institution-kind-youth-migration = Jugendmigrationsdienst
institution-kind-adult-migration = Migrationsberatung für Erwachsene
institution-kind-school = Schule
institution-kind-other = Sonstige

event-kind-school-info = Infoveranstaltung an einer Schule
event-kind-open-day = Tag der offenen Tür
event-kind-company-visit = Betriebsbesichtigung
event-kind-parent-evening = Elternabend
event-kind-network-meeting = Netzwerktreffen
event-kind-mentor-training = Mentorenschulung

chamber-hwk = HWK (Handwerk)
chamber-ihk = IHK (Industrie und Handel)

licence-none = Keine Ausbildereignung
licence-in-preparation = Ausbildereignung in Vorbereitung
licence-has = Ausbildereignung vorhanden

place-status-acquired = Akquiriert
place-status-offered = Angeboten
place-status-filled = Besetzt

action-field-school-to-work = Übergang Schule–Beruf
action-field-self-employed = Unterstützung Selbstständiger
action-field-network = Netzwerkarbeit

metric-events = Durchgeführte Veranstaltungen
metric-attendance = Erreichte Personen bei Veranstaltungen
metric-consultations = Beratungen
metric-referrals = Vermittlungen
metric-companies-joined = Neue Betriebe im Netzwerk
metric-companies-licensed = Betriebe mit Ausbildereignung
metric-places-acquired = Akquirierte Ausbildungsplätze
metric-places-filled = Besetzte Ausbildungsplätze

record-not-found = Diesen Eintrag gibt es auf diesem Gerät nicht.
form-notes = Notizen
nav-today = Heute
nav-consultations = Beratung
nav-events = Termine
nav-more = Mehr
draft-restored = Deine unfertige Eingabe ist wieder da. Bitte prüfen und speichern.

demo-title = Demo-Daten
demo-working = Dieses Gerät wird mit einem erfundenen Netzwerk gefüllt: Communities, Mentor*innen, ein Jahr Beratungen und Veranstaltungen …
demo-failed = Die Demo-Daten konnten auf diesem Gerät nicht gespeichert werden. Zum erneuten Versuch neu laden.
demo-fictional = Alle Personen, Familien, Vereine und Betriebe der Demo sind frei erfunden.
demo-try = Mit Demo-Daten ausprobieren
record-edit = Bearbeiten
list-download-label = Liste herunterladen
list-download-csv = Liste als CSV herunterladen
list-download-xlsx = Liste als XLSX herunterladen
