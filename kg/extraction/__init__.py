"""Extraction: spaCy components, built from the vocabularies under `ontology/`, that find
methods, datasets, modalities and brain regions in titles and abstracts."""
from .pipeline import Extractor, build_pipeline

__all__ = ["Extractor", "build_pipeline"]
