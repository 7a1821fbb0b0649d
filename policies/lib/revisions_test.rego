# Tests of the library's git revision helpers, kept beside lib_test.rego so that a pack
# started by `prodgate new pack` (which copies both) counts them in its coverage.
package prodgate.lib_revisions_test

import data.prodgate.lib

full := "3f9c2a7e5b1d4c6a8e0f2b4d6a8c0e2f4a6b8d0c"

test_a_full_hash_is_its_own_revision if {
	lib.same_revision(full, full)
}

test_an_abbreviation_of_seven_digits_is_the_same_revision_either_way if {
	lib.same_revision(substring(full, 0, 7), full)
	lib.same_revision(full, substring(full, 0, 7))
}

test_case_does_not_matter if {
	lib.same_revision(upper(substring(full, 0, 12)), full)
}

test_a_six_digit_common_prefix_is_ambiguous_never_the_same if {
	short := substring(full, 0, 6)
	not lib.same_revision(short, full)
	lib.revision_ambiguous(short, full)
}

test_another_hash_is_another_revision if {
	other := "9f9c2a7e5b1d4c6a8e0f2b4d6a8c0e2f4a6b8d0c"
	not lib.same_revision(other, full)
	not lib.revision_ambiguous(other, full)
}

test_names_that_are_not_hashes_compare_exactly if {
	lib.same_revision("v1.4.2", "v1.4.2")
	not lib.same_revision("v1.4", "v1.4.2")
	lib.revision_ambiguous("v1.4", "v1.4.2")
}

test_empty_or_missing_revisions_never_match if {
	not lib.revision_may_match("", full)
	not lib.revision_may_match(full, "")
	not lib.same_revision(null, full)
}
