/**
 * The default service catalogue (seeds the `services` table; admins edit it there) and the small
 * fixed vocabularies of a request. Durations are typical on-site times used by the route planner.
 */

export const PHOTO_KINDS = ['id_front', 'id_back', 'staff_with_customer', 'signed_document', 'other'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];
/** The kinds a service may require ("other" is always optional). */
export const REQUIRABLE_PHOTO_KINDS = ['id_front', 'id_back', 'staff_with_customer', 'signed_document'] as const satisfies readonly PhotoKind[];

export interface ChecklistItem {
	zh: string;
	en: string;
}

export interface ServiceDefinition {
	code: string;
	nameZh: string;
	nameEn: string;
	durationMin: number;
	requiredPhotos: PhotoKind[];
	checklist: ChecklistItem[];
}

// Every visit verifies identity in person (ID front/back) and documents the dual-control team
// with the customer; services that end in a signed form also need that form photographed.
const ID_AND_TEAM: PhotoKind[] = ['id_front', 'id_back', 'staff_with_customer'];
const ID_TEAM_SIGNED: PhotoKind[] = [...ID_AND_TEAM, 'signed_document'];

const CHECK_ID = { zh: '核对身份证原件，确认为客户本人', en: 'Check the original ID card and that it is the customer' };
const CHECK_WILL = { zh: '确认客户意识清楚、本人意愿真实', en: 'Confirm the customer is lucid and acts of their own free will' };

export const DEFAULT_SERVICES: ServiceDefinition[] = [
	{
		code: 'ss_card_activation',
		nameZh: '社保卡激活',
		nameEn: 'Social-security card activation',
		durationMin: 20,
		requiredPhotos: [...ID_AND_TEAM],
		checklist: [
			CHECK_ID,
			{ zh: '核对社保卡卡面姓名与身份证一致', en: 'Check the name on the card matches the ID card' },
			{ zh: '客户本人设置密码（工作人员回避，不得代设）', en: 'The customer sets the PIN personally (staff look away, never set it)' },
			{ zh: '激活后进行一次查询验证', en: 'Run a balance enquiry to confirm activation' }
		]
	},
	{
		code: 'pin_reset',
		nameZh: '银行卡密码重置',
		nameEn: 'Bank-card PIN reset',
		durationMin: 20,
		requiredPhotos: [...ID_TEAM_SIGNED],
		checklist: [
			CHECK_ID,
			CHECK_WILL,
			{ zh: '客户本人在密码器上输入新密码', en: 'The customer enters the new PIN on the PIN pad' },
			{ zh: '客户在重置申请书上签名', en: 'The customer signs the reset form' }
		]
	},
	{
		code: 'card_opening',
		nameZh: '开卡',
		nameEn: 'Card opening',
		durationMin: 30,
		requiredPhotos: [...ID_TEAM_SIGNED],
		checklist: [
			CHECK_ID,
			CHECK_WILL,
			{ zh: '核实联系电话与地址', en: 'Verify the phone number and address' },
			{ zh: '讲解风险提示并由客户签署开户资料', en: 'Explain the risk notice; the customer signs the account forms' },
			{ zh: '客户本人设置密码', en: 'The customer sets the PIN personally' }
		]
	},
	{
		code: 'card_closing',
		nameZh: '销卡',
		nameEn: 'Card closing',
		durationMin: 20,
		requiredPhotos: [...ID_TEAM_SIGNED],
		checklist: [
			CHECK_ID,
			CHECK_WILL,
			{ zh: '确认账户余额及结清方式', en: 'Confirm the balance and how it is paid out' },
			{ zh: '当面剪卡或收回卡片', en: 'Cut or collect the card in the customer’s presence' },
			{ zh: '客户在销户申请书上签名', en: 'The customer signs the closing form' }
		]
	},
	{
		code: 'info_update',
		nameZh: '客户信息变更',
		nameEn: 'Customer-information update',
		durationMin: 30,
		requiredPhotos: [...ID_TEAM_SIGNED],
		checklist: [
			CHECK_ID,
			{ zh: '核实身份证有效期，过期的请客户出示新证件', en: 'Check the ID card’s validity; ask for the new card if expired' },
			{ zh: '核实并更新联系电话、住址、职业等信息', en: 'Verify and update phone, address, occupation' },
			{ zh: '了解账户受限原因并记录客户实际情况', en: 'Record why the account is restricted and the customer’s situation' },
			{ zh: '客户在信息变更表上签名', en: 'The customer signs the update form' }
		]
	},
	{
		code: 'proxy_withdrawal_verification',
		nameZh: '代取款核实',
		nameEn: 'Proxy-withdrawal verification',
		durationMin: 30,
		requiredPhotos: [...ID_TEAM_SIGNED],
		checklist: [
			CHECK_ID,
			{ zh: '核实客户健康状况与居住情况', en: 'Verify the customer’s health and living situation' },
			{ zh: '核实代理人身份及与客户的关系', en: 'Verify the agent’s identity and relationship to the customer' },
			{ zh: '确认客户本人同意代取及代取金额', en: 'Confirm the customer agrees to the proxy withdrawal and its amount' },
			{ zh: '客户（或监护人）在授权书上签名', en: 'The customer (or guardian) signs the authorisation' }
		]
	},
	{
		code: 'other',
		nameZh: '其他',
		nameEn: 'Other',
		durationMin: 20,
		requiredPhotos: [...ID_AND_TEAM],
		checklist: [CHECK_ID, { zh: '在备注中记录所办理的业务', en: 'Record the service provided in the note' }]
	}
];

export const MOBILITY = ['bedridden', 'wheelchair', 'limited'] as const;
export type Mobility = (typeof MOBILITY)[number];

export const PLACE_TYPES = ['home', 'nursing_home', 'hospital', 'community_centre'] as const;
export type PlaceType = (typeof PLACE_TYPES)[number];

export const URGENCY = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCY)[number];
