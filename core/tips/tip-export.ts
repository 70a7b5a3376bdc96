import type { Content } from '../content/load-content.ts';
import type { Column } from '../export/table-export.ts';
import type { Database } from '../storage/database.ts';
import type { Tip } from './tip-model.ts';
import { selectTips, toTip } from './tip-rows.ts';
import { localDateTime } from './tracking.ts';

/** Every tip, oldest first. Reads only the tips table: reporter links and contacts are never exported. */
export async function listTipsForExport(database: Database): Promise<Tip[]> {
  const rows = await selectTips(database.db).orderBy('tips.id', 'asc').execute();
  return rows.map(toTip);
}

/**
 * The export's columns. Whether a tip was real-name is a fact staff need for statistics; who the
 * reporter is is not in any column, for real-name tips either.
 */
export function tipExportColumns(content: Content): Column<Tip>[] {
  const s = content.strings;
  const practice = (t: Tip): string => (t.practiceId ? content.negativeList.practice(t.practiceId)?.name ?? t.practiceId : s.t('tips.practice_other').replace(/^❓\s*/, ''));
  return [
    { key: 'trackingNo', header: '编号', value: (t) => t.trackingNo },
    { key: 'createdAt', header: '提交时间', value: (t) => localDateTime(t.createdAt), json: (t) => t.createdAt },
    { key: 'status', header: '状态', value: (t) => s.t(`tips.status.${t.status}`), json: (t) => t.status },
    { key: 'area', header: '领域', value: (t) => content.negativeList.area(t.areaId)?.name ?? s.t('tips.area_other').replace(/^❓\s*/, '') },
    { key: 'practiceId', header: '负面清单条目编号', value: (t) => t.practiceId ?? '' },
    { key: 'practice', header: '情况', value: practice },
    { key: 'town', header: '镇街', value: (t) => (t.townId ? content.towns.byId(t.townId)?.name ?? t.townId : '') },
    { key: 'address', header: '地址', value: (t) => t.address ?? '' },
    { key: 'latitude', header: '纬度', value: (t) => t.location?.latitude ?? null },
    { key: 'longitude', header: '经度', value: (t) => t.location?.longitude ?? null },
    { key: 'description', header: '描述', value: (t) => t.description },
    { key: 'photos', header: '照片数', value: (t) => t.photos.length },
    { key: 'realName', header: '实名举报', value: (t) => (t.realName ? '是' : '否'), json: (t) => t.realName },
    { key: 'department', header: '转办部门', value: (t) => (t.departmentId ? content.departments.byId(t.departmentId)?.name ?? t.departmentId : '') },
    { key: 'resultNote', header: '处理结果或不予受理原因', value: (t) => t.resultNote ?? '' },
    { key: 'duplicateOf', header: '疑似重复（系统）', value: (t) => t.duplicateOf ?? '' },
    { key: 'staffMarkedDuplicate', header: '疑似重复（工作人员）', value: (t) => (t.staffMarkedDuplicate ? '是' : '否'), json: (t) => t.staffMarkedDuplicate },
    { key: 'reopenCount', header: '重开次数', value: (t) => t.reopenCount },
    { key: 'updatedAt', header: '更新时间', value: (t) => localDateTime(t.updatedAt) },
    { key: 'closedAt', header: '结束时间', value: (t) => (t.closedAt ? localDateTime(t.closedAt) : '') },
  ];
}
