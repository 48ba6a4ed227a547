import sharp from 'sharp';
import { GraphQLClient } from '../client';

/**
 * Printed matter of the 八师 week (the summary's 展板130余块, 板报25块, 横幅25条, 宣传海报 and
 * 宣传资料), uploaded through the public API: requestUpload, then PUT the bytes to the upload URL.
 * Images are rendered here (a board with its title); printed pieces are a one-page PDF.
 * None records a distribution: the demo statistics already count MATERIALS_DISTRIBUTED.
 */
interface DemoAsset {
  title: string;
  kind: 'DISPLAY_BOARD' | 'BANNER' | 'POSTER' | 'FLYER';
  format: 'png' | 'pdf';
  quantityProduced: number;
  activity?: string; // activity title
  tags: string[];
}

export const DEMO_ASSETS: DemoAsset[] = [
  { title: '保护知识产权成果展板', kind: 'DISPLAY_BOARD', format: 'png', quantityProduced: 130, activity: '保护知识产权宣传周和保护知识产权成果展开幕式及万人签名活动', tags: ['成果展', '开幕式'] },
  { title: '宣传板报', kind: 'DISPLAY_BOARD', format: 'png', quantityProduced: 25, activity: '保护知识产权宣传咨询活动', tags: ['温州步行街'] },
  { title: '保护知识产权，促进创新发展', kind: 'BANNER', format: 'png', quantityProduced: 25, tags: ['横幅'] },
  { title: '保护知识产权宣传海报', kind: 'POSTER', format: 'pdf', quantityProduced: 20000, activity: '横幅悬挂及保护知识产权宣传海报、报纸、宣传单发放', tags: ['海报'] },
  { title: '宣传资料', kind: 'FLYER', format: 'pdf', quantityProduced: 40000, activity: '保护知识产权宣传咨询活动', tags: ['咨询'] },
];

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n' +
    '0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n',
);

function board(title: string): Promise<Buffer> {
  const escaped = title.replace(/[<>&]/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="540"><rect width="100%" height="100%" fill="#0b1a33"/>
    <rect x="40" y="40" width="880" height="460" fill="none" stroke="#e5484d" stroke-width="6"/>
    <text x="480" y="290" font-size="56" fill="#ffcc4d" text-anchor="middle" font-family="Noto Sans CJK SC, sans-serif">${escaped}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function loadDemoAssets(gatewayUrl: string, editor: GraphQLClient, campaignId: string): Promise<void> {
  const activities = await editor.run<{ campaign: { activities: { id: string; title: string }[] } }>(
    'query($c: ID!) { campaign(id: $c) { activities { id title } } }',
    { c: campaignId },
  );
  const base = gatewayUrl.replace(/\/graphql$/, '');
  for (const asset of DEMO_ASSETS) {
    const bytes = asset.format === 'png' ? await board(asset.title) : PDF;
    const activityId = asset.activity ? activities.campaign.activities.find((a) => a.title === asset.activity)?.id : undefined;
    if (asset.activity && !activityId) throw new Error(`demo asset ${asset.title}: no activity ${asset.activity}`);
    const ticket = await editor.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { uploadUrl } }', {
      i: {
        title: asset.title, kind: asset.kind, tags: asset.tags, quantityProduced: asset.quantityProduced,
        fileName: `${asset.kind.toLowerCase()}.${asset.format}`, contentType: asset.format === 'png' ? 'image/png' : 'application/pdf',
        byteSize: bytes.length, ...(activityId ? { activityId } : { campaignId }),
      },
    });
    const url: string = ticket.requestUpload.uploadUrl;
    const res = await fetch(url.startsWith('http') ? url : `${base}${url}`, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } });
    if (!res.ok) throw new Error(`demo asset ${asset.title}: upload answered ${res.status} ${await res.text()}`);
  }
}
