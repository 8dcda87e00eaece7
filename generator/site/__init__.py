"""The handbook site: pages generated from the model, and a thin MkDocs plugin that calls the generator."""
