"""Text handling: input checks, segmentation, markup, protected spans, language detection."""
