# The generated models (tests/generated/, docs/generated-models.md): a
# generator of valid .tlm models from seeds, written from the format's
# page alone; the oracle every model goes through (tl_model_open,
# smartzone plan on both platforms, smartzone run against tlmrun's strict
# outputs); the shrinker that turns a failing seed into a regression
# file; the counts. test_generated_models runs with the other tests
# (a few hundred models in make check); make generate-check runs ten
# thousand (ci/generate-check.sh). tlmgen writes one seed's model.
$(B)/obj/tests/generated/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itests \
	-Itests/tools -Itests/memmodel -Itools/smartzone \
	-Imemmodel/include -Itinylib/normal/include -Itinylib/secure/include \
	-Isim/include -Isim/cost/include -Ita/include

GENERATOR_OBJS := $(call objects,tests/generated/model_gen.c \
	tests/generated/model_write.c)
GENERATED_TEST_SUPPORT := $(GENERATOR_OBJS) $(call objects,\
	tests/generated/model_oracle.c tests/generated/model_shrink.c \
	tests/generated/gen_stats.c tests/tools/cli.c \
	tests/memmodel/json_check.c)
TESTS += test_generated_models
$(eval $(call link,test_generated_models,\
	$(call objects,tests/generated/test_generated_models.c) \
	$(GENERATED_TEST_SUPPORT) $(SMARTZONE_CMD_OBJS) $(SMARTZONE_LIBS),\
	$(TEST_LDLIBS) $(SMARTZONE_LDLIBS)))

TESTS += test_model_gen
$(eval $(call link,test_model_gen,\
	$(call objects,tests/generated/test_model_gen.c \
	tests/generated/model_shrink.c) $(GENERATOR_OBJS) \
	$(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),$(TEST_LDLIBS)))

PROGRAMS += tlmgen
$(eval $(call link,tlmgen,$(call objects,tests/generated/tlmgen.c) \
	$(GENERATOR_OBJS) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
