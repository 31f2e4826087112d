"""Generate a large synthetic roster with valid ID check digits.

    python bench/gen_roster.py N OUT.csv [--seed S] [--encoding utf-8|gb18030]

Households of 1-6 people in numbered groups; every ID number passes GB 11643's check.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from pathlib import Path

from stdnum.cn.ric import calc_check_digit

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
            "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
            "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅玉兰海燕淑珍凤英"
         "文亮鹏辉宇浩然子涵欣怡梓轩雨桐")
AREAS = ("410171", "410102", "410103", "410105", "410122", "411081")
HEADER = ["姓名", "性别", "身份证号", "联系电话", "户号", "与户主关系", "村组", "住址"]
RELATIONS = ("配偶", "子", "女", "父亲", "母亲", "孙子", "孙女")


def _id_number(rng: random.Random, male: bool) -> str:
    year = rng.randint(1935, 2019)
    body = f"{rng.choice(AREAS)}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    sequence = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    seventeen = f"{body}{sequence:03d}"
    return seventeen + calc_check_digit(seventeen + "0")


def rows(n: int, seed: int = 2020) -> Iterator[list[str]]:
    """n residents; ID numbers unique, as in a real roster (random ones collide)."""
    rng = random.Random(seed)
    used: set[str] = set()
    made = 0
    household = 0
    while made < n:
        household += 1
        group = f"{(household - 1) // 120 % 40 + 1}组"
        size = min(rng.randint(1, 6), n - made)
        surname = rng.choice(SURNAMES)
        address = f"{group}{household % 120 + 1}号"
        for member in range(size):
            male = rng.random() < 0.5
            name = (surname if member != 1 else rng.choice(SURNAMES)) + "".join(
                rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
            relation = "户主" if member == 0 else rng.choice(RELATIONS)
            number = _id_number(rng, male)
            while number in used:
                number = _id_number(rng, male)
            used.add(number)
            yield [name, "男" if male else "女", number, phone,
                   f"H{household:07d}", relation, group, address]
            made += 1


def write(n: int, out: Path, seed: int = 2020, encoding: str = "utf-8") -> None:
    with out.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(n, seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--encoding", default="utf-8")
    args = parser.parse_args()
    write(args.n, args.out, args.seed, args.encoding)


if __name__ == "__main__":
    main()
