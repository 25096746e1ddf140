# The corpus of malformed inputs (tests/corpus/README.md): make_corpus
# writes its binary part (make corpus); the tests that enumerate it live
# in the rooms whose parsers refuse the files, and link
# corpus_manifest.c (their expected.tsv files).
PROGRAMS += make_corpus
# It seals the .tlme cases as the fuzz targets seal (fuzz_model.h).
$(B)/obj/tests/corpus/%.o: CFLAGS = $(NORMAL_CFLAGS) -Ita/include \
	-Itinylib/normal/include -Itinylib/secure/include -Ifuzz/support
$(eval $(call link,make_corpus,$(call objects,tests/corpus/make_corpus.c) \
	$(FUZZ_MODEL) $(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) \
	$(TINYLIBM_LIB),$(SIM_LDLIBS)))
