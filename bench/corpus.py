"""A deterministic corpus of study notes shaped like real ones, for the benchmark.

Each note has front matter (one of several categories), Japanese and English text, headings,
nested bullets, arrows, definitions, bold phrases, a table and a code block: about 15 KB, like
a long exam-notes file. The same N always gives the same files.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CATEGORIES = ["AWS", "Networking", "Databases", "Security", "Algorithms"]
SERVICES = [
    "Amazon SQS", "Amazon SNS", "Amazon Kinesis", "AWS Lambda", "Amazon RDS", "Amazon Aurora", "Amazon ElastiCache",
    "Amazon Redshift", "AWS Glue", "Amazon Route 53", "AWS Direct Connect", "AWS Storage Gateway", "Amazon S3",
    "Amazon DynamoDB", "AWS CloudFormation", "Amazon CloudFront", "AWS Backup", "Elastic Load Balancing",
]  # fmt: skip
JAPANESE = [
    "フルマネージド型のサービスで、運用の手間を減らせる", "障害が発生してもデータを失わないように複製を持つ",
    "リクエストが来たときだけ処理を実行する", "複数のアベイラビリティーゾーンに分散して可用性を高める",
    "ストリーミングデータをリアルタイムで収集して処理する", "読み取り専用のレプリカで参照性能を上げる",
    "メッセージを一時的に保持して送り手と受け手を切り離す", "キャッシュに置くことで応答時間を短くする",
    "バックアップの保存期間を延ばしてコンプライアンス要件を満たす", "暗号化キーを一元管理して監査できるようにする",
]  # fmt: skip
ENGLISH = [
    "keeps the data in more than one place so that a failure loses nothing",
    "runs code only when a request arrives and bills by the millisecond",
    "spreads the load across several zones to stay available",
    "stores the answer of a slow query so the next reader gets it fast",
    "decouples the sender from the receiver with a durable queue",
    "replicates writes synchronously to a standby in another zone",
]  # fmt: skip
TERMS = ["RPO", "RTO", "ACID", "TTL", "SLA", "VPC", "IAM", "KMS", "DNS", "CDN", "ETL", "FIFO"]


def note(index: int) -> str:
    rng = random.Random(index)
    category = CATEGORIES[index % len(CATEGORIES)]
    lines = [
        "---",
        "layout: post",
        f'title: "Study notes {index:04}"',
        f"date: 2026-{1 + index % 12:02}-{1 + index % 28:02}",
        f"category: {category}",
        f"tags: [exam, week{index % 10}]",
        "---",
        f"# Study notes {index:04}",
        "",
    ]
    for section in range(12):
        service = rng.choice(SERVICES)
        lines += [f"## {service} {section}", ""]
        for item in range(10):
            kind = rng.randrange(6)
            ja, en = rng.choice(JAPANESE), rng.choice(ENGLISH)
            tag = f"{index}.{section}.{item}"
            if kind == 0:
                lines.append(f"- {ja}ときに使う（{tag}） -> {service}")
            elif kind == 1:
                lines.append(f"- 用語{tag}（{rng.choice(TERMS)}）：{ja}")
            elif kind == 2:
                lines.append(f"- **{service}** は{ja}（{tag}）。{en}")
            elif kind == 3:
                lines += [f"- {service} の特徴 {tag}", f"  - {ja}", f"  - {en}", f"    - {rng.choice(JAPANESE)}"]
            elif kind == 4:
                lines.append(f"- Term {tag}: {en}")
            else:
                lines.append(f"- {ja}（{en}） {tag}")
        lines.append("")
        if section % 4 == 0:
            lines += ["| 項目 | 説明 |", "| --- | --- |"]
            lines += [f"| {rng.choice(SERVICES)} {index}.{section}.{row} | {rng.choice(JAPANESE)} |" for row in range(4)]
            lines.append("")
        if section % 6 == 0:
            lines += ["```sh", f"aws {service.split()[-1].lower()} describe --region ap-northeast-1", "```", ""]
    return "\n".join(lines) + "\n"


def write(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / CATEGORIES[index % len(CATEGORIES)].lower() / f"note{index:04}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(note(index), "utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    written = write(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{len(written)} notes, {sum(p.stat().st_size for p in written) / 1e6:.1f} MB")
