"""What a merge of shared or re-imported data did (`share.merge_document`, `share.merge_jsonl`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    indicators_added: int = 0
    indicators_updated: int = 0
    values_added: int = 0
    values_updated: int = 0
    comments_added: int = 0
    comments_updated: int = 0
    comments_skipped: int = 0
    notice: str = ""  # text cleaned on the way in (D13)

    @property
    def changed(self) -> bool:
        """Whether the merge wrote anything."""
        return any((self.added, self.updated, self.indicators_added, self.indicators_updated, self.values_added,
                    self.values_updated, self.comments_added, self.comments_updated))

    @property
    def message(self) -> str:
        msg = f"导入完成：新增 {self.added} 条任务，更新 {self.updated} 条，跳过 {self.skipped} 条（本机已有相同或更新的版本）"
        if self.indicators_added or self.indicators_updated or self.values_added or self.values_updated:
            msg += (f"；指标新增 {self.indicators_added} 个、更新 {self.indicators_updated} 个，"
                    f"年度数值新增 {self.values_added} 条、更新 {self.values_updated} 条")
        if self.comments_added or self.comments_updated or self.comments_skipped:
            msg += (f"；意见新增 {self.comments_added} 条、更新 {self.comments_updated} 条、"
                    f"跳过 {self.comments_skipped} 条")
        return msg + (f"。{self.notice}" if self.notice else "")
