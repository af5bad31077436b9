site-name = Stedenplatform
skip-to-content = Skip to content
nav-main = Main navigation
breadcrumbs = Breadcrumbs
footer-text = Stedenplatform · Knowledge Centre of Flemish Cities
