site-name = Stedenplatform
skip-to-content = Naar de inhoud
nav-main = Hoofdnavigatie
breadcrumbs = Kruimelpad
footer-text = Stedenplatform · Kenniscentrum Vlaamse Steden
