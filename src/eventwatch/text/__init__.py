"""Text features shared by the stages that need them (below extraction and fusion alike): folding, sentence
embeddings (:mod:`.embeddings`) and the n-gram TF-IDF featuriser of the trained models (:mod:`.ngrams`)."""
