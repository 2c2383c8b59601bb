"""memo.Memo: a dict-backed cache of a one-argument function."""

from quarterly_cli.memo import Memo


def test_a_memo_gives_the_function_s_value_and_calls_it_once_per_key():
    calls = []

    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    memo = Memo(double, 3)
    assert [memo[1], memo[2], memo[1], memo(2)] == [2, 4, 2, 4]
    assert calls == [1, 2]
    assert list(map(memo.__getitem__, [3, 1])) == [6, 2]


def test_a_full_memo_is_emptied_before_it_grows_past_its_limit():
    memo = Memo(str, 2)
    for n in range(5):
        assert memo[n] == str(n)
        assert len(memo) <= 2
