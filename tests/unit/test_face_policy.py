"""The decision policy on encodings: strict distance, margin, agreement, look-alike guard, 1:1 with the badge.

The crowded-gallery stress draws a population with the statistics the issue measured for
young East Asian men under dlib (photos of one man 0.31-0.53 apart, distinct men mostly
under 0.6, the closest of ten pairs near 0.4): there, no threshold separates people, and the
policy must say "show your badge" rather than guess.
"""
from __future__ import annotations

import numpy as np
import pytest
from congress_checkin.domain.faces.policy import FacePolicy, Gallery, Reason, Verdict, identify, verify

POLICY = FacePolicy()
DIM = 128


def unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(size=DIM)
    return v / np.linalg.norm(v)


def at_distance(base: np.ndarray, distance: float, rng: np.random.Generator) -> np.ndarray:
    return base + unit(rng) * distance


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2023)


def well_separated(rng: np.random.Generator, people: int = 6) -> dict[str, np.ndarray]:
    return {f"d{i}": unit(rng) * 0.6 for i in range(people)}  # pairwise about 0.85 apart


def test_a_close_probe_with_a_clear_margin_is_accepted(rng) -> None:
    centres = well_separated(rng)
    gallery = Gallery({k: [at_distance(c, 0.2, rng), at_distance(c, 0.2, rng)] for k, c in centres.items()})
    match = identify(gallery, [at_distance(centres["d3"], 0.2, rng)], POLICY)
    assert (match.verdict, match.delegate_id) == (Verdict.accept, "d3")


def test_a_probe_beyond_the_strict_distance_is_unsure_not_accepted(rng) -> None:
    centres = well_separated(rng)
    gallery = Gallery({k: [c] for k, c in centres.items()})
    match = identify(gallery, [at_distance(centres["d1"], 0.45, rng)], POLICY)  # the library's 0.6 would accept
    assert match.verdict is Verdict.unsure and match.reason is Reason.too_far


def test_a_probe_between_two_delegates_has_no_margin(rng) -> None:
    a = unit(rng) * 0.5
    b = a + unit(rng) * 0.55
    gallery = Gallery({"a": [a], "b": [b], "c": [unit(rng)]})
    probe = a + (b - a) * 0.42  # 0.23 from a, 0.32 from b
    match = identify(gallery, [probe], POLICY)
    assert match.verdict is Verdict.unsure and match.reason is Reason.no_margin


def test_frames_that_disagree_are_unsure(rng) -> None:
    a, b = unit(rng) * 0.6, unit(rng) * 0.6
    gallery = Gallery({"a": [a], "b": [b], "c": [unit(rng)]})
    burst = [at_distance(a, 0.05, rng), at_distance(a, 0.05, rng), a + (b - a) * 0.6]  # the mean stays near a
    match = identify(gallery, burst, POLICY)
    assert match.verdict is not Verdict.accept


def test_lookalikes_are_listed_and_never_accepted_by_face_alone(rng) -> None:
    centres = well_separated(rng)
    twin = at_distance(centres["d0"], 0.3, rng)
    gallery = Gallery({**{k: [c] for k, c in centres.items()}, "twin": [twin]})
    pairs = gallery.lookalikes(POLICY)
    assert [(p.first, p.second) for p in pairs] == [("d0", "twin")]
    match = identify(gallery, [at_distance(centres["d0"], 0.02, rng)], POLICY)  # even a near-perfect probe
    assert match.verdict is Verdict.unsure and match.reason is Reason.lookalike
    assert verify(gallery, [at_distance(centres["d0"], 0.02, rng)], "d0", POLICY).verdict is Verdict.accept


def test_one_to_one_refuses_a_badge_shown_by_someone_nearer_another_delegate(rng) -> None:
    centres = well_separated(rng)
    gallery = Gallery({k: [c] for k, c in centres.items()})
    holder = at_distance(centres["d2"], 0.1, rng)  # d2 holding d4's badge
    assert verify(gallery, [holder], "d4", POLICY).verdict is Verdict.unknown
    assert verify(gallery, [holder], "d2", POLICY).verdict is Verdict.accept
    assert verify(gallery, [holder], "nobody", POLICY).reason is Reason.not_enrolled


def test_an_empty_gallery_knows_nobody(rng) -> None:
    assert identify(Gallery({}), [unit(rng)], POLICY).verdict is Verdict.unknown


def crowded_population(rng: np.random.Generator, dim: int = 24):
    """Identity centres and photo noise in a low-dimensional subspace, scaled to the issue's figures."""
    noise = 0.42 / np.sqrt(2 * dim)
    spread = np.sqrt((0.53 ** 2 / dim - 2 * noise ** 2) / 2)
    basis = np.linalg.qr(rng.normal(size=(DIM, dim)))[0]

    def people(n: int) -> np.ndarray:
        return rng.normal(0, spread, (n, dim))

    def photos(centres: np.ndarray, k: int) -> np.ndarray:
        return (centres[:, None, :] + rng.normal(0, noise, (len(centres), k, dim))) @ basis.T

    return people, photos


def test_the_crowded_population_matches_the_measured_figures(rng) -> None:
    people, photos = crowded_population(rng)
    ten = photos(people(10), 1)[:, 0]
    pairs = np.linalg.norm(ten[:, None] - ten[None], axis=-1)[np.triu_indices(10, 1)]
    same = photos(people(300), 2)
    within = np.linalg.norm(same[:, 0] - same[:, 1], axis=1)
    assert 0.3 < pairs.min() < 0.5 and (pairs < 0.6).sum() >= 30
    assert 0.28 < np.percentile(within, 5) and np.percentile(within, 95) < 0.56


@pytest.mark.parametrize("enrolled", [10, 1100])
def test_a_crowded_gallery_accepts_no_impostor_and_no_wrong_person(rng, enrolled: int) -> None:
    people, photos = crowded_population(rng)
    centres = people(enrolled)
    gallery = Gallery({f"d{i}": list(p) for i, p in enumerate(photos(centres, 3))})
    genuine = photos(centres, 3)  # bursts of three frames
    impostors = photos(people(300), 3)
    wrong = accepted = 0
    for i, burst in enumerate(genuine[:300]):
        match = identify(gallery, list(burst), POLICY)
        wrong += match.verdict is Verdict.accept and match.delegate_id != f"d{i}"
    for burst in impostors:
        accepted += identify(gallery, list(burst), POLICY).verdict is Verdict.accept
    assert (wrong, accepted) == (0, 0)
    # the guard sees the crowd: most of such a gallery is listed as look-alikes (badge + face for them)
    assert len({p.first for p in gallery.lookalikes(POLICY)} | {p.second for p in gallery.lookalikes(POLICY)}) > enrolled / 2


def test_without_the_guard_the_crowd_would_let_impostors_in(rng) -> None:
    """The reason the guard exists: the same crowd, policy minus the look-alike guard, accepts impostors."""
    people, photos = crowded_population(rng)
    centres = people(10)
    gallery = Gallery({f"d{i}": list(p) for i, p in enumerate(photos(centres, 3))})
    unguarded = FacePolicy(lookalike_distance=0.0, margin=0.05)
    accepted = sum(identify(gallery, list(b), unguarded).verdict is Verdict.accept for b in photos(people(500), 1))
    assert accepted > 0
