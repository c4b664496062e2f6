"""The model store: installed models and their registry, engines, manifest, fetch and checks."""
