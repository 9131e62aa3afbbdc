package webhook

// Only at the new version: the report names it as a mirrored file that changed.
